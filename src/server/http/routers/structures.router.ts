import type { FastifyInstance } from "fastify";
import { parisDay } from "../../../common/calendar";
import { errors } from "../../../common/errors";
import { roles } from "../../../common/roles";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { hasRole } from "../../core/context";
import type { Deps } from "../../core/deps";
import {
  addDemarcheType,
  addPartner,
  renamePartner,
  updateDemarcheType,
} from "../../domains/catalogue/EditCatalogue";
import { loadCatalogue } from "../../domains/catalogue/queries";
import { searchAccounts } from "../../domains/structures/accounts";
import { changeMembership } from "../../domains/structures/ChangeMembership";
import { createUser, grantableRoles } from "../../domains/structures/CreateUser";
import {
  addSite,
  archiveSite,
  updateSite,
  updateStructureDetails,
} from "../../domains/structures/EditStructure";
import {
  assertManagesUsers,
  assertMember,
  assertReadsStats,
  isPlatformAdmin,
} from "../../domains/structures/policies";
import { structureOverview, structureStats, structureUsers } from "../../domains/structures/queries";
import { recordTraining, removeTraining } from "../../domains/structures/RecordTraining";
import { resendInvitation } from "../../domains/structures/ResendInvitation";
import { resetAgentPassword } from "../../domains/structures/ResetAgentPassword";
import { setAccountDisabled } from "../../domains/structures/SetAccountDisabled";
import { setMembershipActive } from "../../domains/structures/SetMembershipActive";
import { untrainedInPools } from "../../domains/structures/training";
import { mount } from "../mount";

export function structuresRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, structuresRoutes.overview, async ({ params, ctx }) => {
    assertMember(ctx.actor, params.structureId);
    const overview = await structureOverview(deps.db, params.structureId);
    if (!overview) throw errors.access.forbidden();
    return overview;
  });

  mount(app, deps, structuresRoutes.updateDetails, async ({ params, body, ctx }) => {
    await updateStructureDetails(deps, ctx, params.structureId, body);
    return { ok: true as const };
  });

  mount(app, deps, structuresRoutes.addSite, ({ params, body, ctx }) =>
    addSite(deps, ctx, params.structureId, body),
  );

  mount(app, deps, structuresRoutes.updateSite, async ({ params, body, ctx }) => {
    await updateSite(deps, ctx, params, body);
    return { ok: true as const };
  });

  mount(app, deps, structuresRoutes.archiveSite, async ({ params, ctx }) => {
    await archiveSite(deps, ctx, params);
    return { ok: true as const };
  });

  mount(app, deps, structuresRoutes.stats, async ({ params, ctx }) => {
    assertReadsStats(ctx.actor, params.structureId);
    const exact = hasRole(ctx.actor, "service_manager", params.structureId);
    return structureStats(deps.db, params.structureId, parisDay(ctx.clock.now()), exact);
  });

  mount(app, deps, structuresRoutes.users, async ({ params, ctx }) => {
    assertManagesUsers(ctx.actor, params.structureId);
    const viewer = {
      userId: ctx.actor.userId,
      platformAdmin: isPlatformAdmin(ctx.actor),
      direction: hasRole(ctx.actor, "service_manager", params.structureId),
    };
    const mayGrant = grantableRoles(hasRole(ctx.actor, "admin", params.structureId));
    return {
      users: await structureUsers(deps.db, params.structureId, viewer),
      grantableRoles: roles.filter(mayGrant),
    };
  });

  mount(app, deps, structuresRoutes.createUser, ({ params, body, ctx }) =>
    createUser(deps, ctx, params.structureId, body),
  );

  mount(app, deps, structuresRoutes.changeMembership, async ({ params, body, ctx }) => {
    await changeMembership(deps, ctx, { ...params, ...body });
    return { ok: true as const };
  });

  mount(app, deps, structuresRoutes.disableUser, async ({ params, ctx }) => {
    await setMembershipActive(deps, ctx, { ...params, active: false });
    return { ok: true as const };
  });

  mount(app, deps, structuresRoutes.resendInvitation, async ({ params, ctx }) => {
    await resendInvitation(deps, ctx, params);
    return { ok: true as const };
  });

  mount(app, deps, structuresRoutes.resetPassword, ({ params, ctx, reply }) => {
    // The temporary password is in this answer only: no cache may keep it.
    reply.header("cache-control", "no-store");
    return resetAgentPassword(deps, ctx, params);
  });

  mount(app, deps, structuresRoutes.enableUser, async ({ params, ctx }) => {
    await setMembershipActive(deps, ctx, { ...params, active: true });
    return { ok: true as const };
  });

  mount(app, deps, structuresRoutes.recordTraining, async ({ params, body, ctx }) => {
    await recordTraining(deps, ctx, { ...params, ...body });
    return { ok: true as const };
  });

  mount(app, deps, structuresRoutes.removeTraining, async ({ params, ctx }) => {
    await removeTraining(deps, ctx, params);
    return { ok: true as const };
  });

  mount(app, deps, structuresRoutes.untrainedInPools, ({ params, ctx }) => {
    assertManagesUsers(ctx.actor, params.structureId);
    return untrainedInPools(deps.db, params.structureId, parisDay(ctx.clock.now()));
  });

  // The route admits administrators only (its contract's `onlyRoles`).
  mount(app, deps, structuresRoutes.accounts, ({ query, ctx }) =>
    searchAccounts(deps.db, { userId: ctx.actor.userId }, query),
  );

  mount(app, deps, structuresRoutes.disableAccount, async ({ params, ctx }) => {
    await setAccountDisabled(deps, ctx, { userId: params.userId, disabled: true });
    return { ok: true as const };
  });

  mount(app, deps, structuresRoutes.enableAccount, async ({ params, ctx }) => {
    await setAccountDisabled(deps, ctx, { userId: params.userId, disabled: false });
    return { ok: true as const };
  });

  mount(app, deps, structuresRoutes.catalogue, () => loadCatalogue(deps.db));
  mount(app, deps, structuresRoutes.addPartner, ({ body, ctx }) => addPartner(deps, ctx, body));
  mount(app, deps, structuresRoutes.renamePartner, ({ params, body, ctx }) =>
    renamePartner(deps, ctx, params.partnerId, body.name),
  );
  mount(app, deps, structuresRoutes.addDemarcheType, ({ body, ctx }) => addDemarcheType(deps, ctx, body));
  mount(app, deps, structuresRoutes.updateDemarcheType, ({ params, body, ctx }) =>
    updateDemarcheType(deps, ctx, params.demarcheTypeId, body),
  );
}
