/**
 * The intake journal: where an accepted batch is kept until every one of its notifications has a
 * final outcome, so a crash between "accepted" and "delivered" loses nothing. {@link
 * io.nm4j.core.journal.FileJournal} is durable; {@link io.nm4j.core.journal.InMemoryJournal} is not
 * (for embedded hosts that accept the loss on a crash).
 */
@NullMarked
package io.nm4j.core.journal;

import org.jspecify.annotations.NullMarked;
