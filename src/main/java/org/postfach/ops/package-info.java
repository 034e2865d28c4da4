/** Operations helpers: generated secrets, health, metrics, logging. */
package org.postfach.ops;
