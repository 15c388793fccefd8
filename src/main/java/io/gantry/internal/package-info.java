/**
 * Internal: plumbing the edges (the {@code io.gantry.Gantry} facade and the HTTP layer) share. Not part of Gantry's
 * API, it may change in any release; it depends on {@code io.gantry.protocol} only.
 */
package io.gantry.internal;
