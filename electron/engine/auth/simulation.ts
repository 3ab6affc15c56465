// Identity simulation (docs/control-api.md, "Simulation"): which parts of the identity a running
// simulation replaces, and the `X-Portcullis-Simulated` value that says so to the app.
import type { Identity, IdentitySimulation } from '../identity.ts';

const PARTS = ['groups', 'roles', 'claims'] as const;

/** `groups`, `roles`, `claims`, comma-separated: the parts the simulation sets. */
export function simulatedParts(simulation: IdentitySimulation): string {
  return PARTS.filter((part) => simulation[part] !== undefined).join(',');
}

/** The identity as rules and headers see it under the simulation. */
export function simulatedIdentity(identity: Identity, simulation: IdentitySimulation): Identity {
  return {
    ...identity,
    ...(simulation.groups ? { groups: simulation.groups } : {}),
    ...(simulation.roles ? { roles: simulation.roles } : {}),
    ...(simulation.claims ? { claims: { ...identity.claims, ...simulation.claims } } : {}),
  };
}

/** The simulation as kept: groups and roles without repeats, parts not given left out. */
export function normalizeSimulation(simulation: IdentitySimulation): IdentitySimulation {
  return {
    ...(simulation.groups ? { groups: [...new Set(simulation.groups)] } : {}),
    ...(simulation.roles ? { roles: [...new Set(simulation.roles)] } : {}),
    ...(simulation.claims ? { claims: simulation.claims } : {}),
  };
}
