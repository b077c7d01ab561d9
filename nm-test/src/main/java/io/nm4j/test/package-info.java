/**
 * The channel compatibility kit: {@link io.nm4j.test.ChannelCompatibilityKit}, an abstract JUnit 5
 * test that every channel's tests extend to prove the shared contract.
 */
@NullMarked
package io.nm4j.test;

import org.jspecify.annotations.NullMarked;
