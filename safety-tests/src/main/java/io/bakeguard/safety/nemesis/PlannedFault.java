package io.bakeguard.safety.nemesis;

import io.bakeguard.safety.history.FaultType;

/**
 * One fault of the schedule.
 *
 * @param type what to do
 * @param atMillis when to inject it, since the load started (later if the previous fault is still recovering)
 * @param holdMillis how long the fault lasts before it is healed
 * @param choiceSeed seeds the choices made when it is injected (which replica, which side, which cut mode)
 */
public record PlannedFault(FaultType type, long atMillis, long holdMillis, long choiceSeed) {}
