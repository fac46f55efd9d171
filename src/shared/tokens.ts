/**
 * Injection tokens for the infrastructure every command handler needs. The app module binds
 * them (EVENT_STORE to the configured adapter, CLOCK to `systemClock`); tests bind fakes.
 */
export const EVENT_STORE = Symbol('EventStore');
export const CLOCK = Symbol('Clock');

/** Time enters the domain only through this, so deciders stay pure and tests control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
