/**
 * Intake and recovery: how an accepted batch becomes one notification per receiver, is journaled,
 * enqueued for the dispatcher and tracked until every notification is final; and how batches an
 * earlier run left unfinished are enqueued again at start.
 */
@NullMarked
package io.nm4j.core.internal.intake;

import org.jspecify.annotations.NullMarked;
