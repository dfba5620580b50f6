/** Implementations behind the outbox's Redis API; not API, may change in any release. */
package org.projectbeacon.outbox.redis.internal;
