/**
 * Small shared pieces with no domain rule: the user-input exception (one readable line, exit 2) and
 * Jackson path helpers. Uses nothing else of flinkspot.
 */
package dev.flinkspot.common;
