package org.projectbeacon.example.providers;

/**
 * The provider a negotiation settled on.
 *
 * @param region where the provider runs
 * @param provider the provider's id
 * @param offersSeen how many offers the negotiation saw
 */
public record Offer(String region, String provider, int offersSeen) {}
