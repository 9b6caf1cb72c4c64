/**
 * Every picocli command of the flinkspot jar, the controller included. The top: uses everything,
 * nothing uses it.
 */
package dev.flinkspot.cli;
