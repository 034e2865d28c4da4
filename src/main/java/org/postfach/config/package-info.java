/**
 * Immutable settings (SPEC §9) and their loader: properties file, then POSTFACH_* environment, then validation.
 * Invariant: a Settings object is only ever built from a configuration with no problems.
 */
package org.postfach.config;
