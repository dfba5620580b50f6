/** Implementations behind the outbox API; not API, may change in any release. */
package org.projectbeacon.outbox.internal;
