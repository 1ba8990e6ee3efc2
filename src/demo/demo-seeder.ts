import { INestApplicationContext, Logger } from '@nestjs/common';

import { AuthService } from '@/auth/auth.service';
import { AuthUser } from '@/auth/auth-user';
import { Role } from '@/auth/role.enum';
import { UsersService } from '@/auth/users.service';
import { LeadEngagementService } from '@/leads/lead-engagement.service';
import { LeadsService } from '@/leads/leads.service';
import { InteractionType } from '@/leads/schemas/interaction.schema';

import { buildDemoData, DEMO_PASSWORD, DEMO_USERS } from './demo-data.util';

const CHUNK = 1000;

/** Fills an empty deployment with a demo tenant for `npm start`; does nothing if it is there. */
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly leads: LeadsService,
    private readonly engagement: LeadEngagementService,
  ) {}

  static fromApp(app: INestApplicationContext): DemoSeeder {
    return new DemoSeeder(
      app.get(AuthService),
      app.get(UsersService),
      app.get(LeadsService),
      app.get(LeadEngagementService),
    );
  }

  async seed(): Promise<void> {
    const [adminSpec, ...others] = DEMO_USERS;
    if (await this.users.findByEmailForLogin(adminSpec.email)) {
      this.logger.log('demo tenant already present');
      return;
    }
    const session = await this.auth.register(
      {
        tenantName: 'Demo Co',
        name: adminSpec.name,
        email: adminSpec.email,
        password: DEMO_PASSWORD,
      },
      'demo-seed',
    );
    const admin: AuthUser = {
      userId: session.user.id,
      tenantId: session.user.tenantId,
      role: Role.ADMIN,
      jti: 'demo-seed',
      exp: 0,
    };
    const created = [];
    for (const spec of others) {
      created.push(
        await this.users.createUser(
          admin,
          { email: spec.email, name: spec.name, password: DEMO_PASSWORD, role: spec.role as Role },
          'demo-seed',
        ),
      );
    }
    const reps = created.filter((user) => user.role === Role.REP);
    const { leads, interactions } = buildDemoData(new Date(), reps.length);
    for (let i = 0; i < leads.length; i += CHUNK) {
      await this.leads.upsertLeads(
        admin.tenantId,
        leads
          .slice(i, i + CHUNK)
          .map(({ repIndex, ...lead }) => ({ ...lead, ownerId: reps[repIndex].id })),
      );
    }
    for (let i = 0; i < interactions.length; i += CHUNK) {
      await this.engagement.recordInteractions(
        admin.tenantId,
        interactions
          .slice(i, i + CHUNK)
          .map((event) => ({ ...event, type: event.type as InteractionType })),
      );
    }
    this.logger.log({
      msg: `demo tenant ready: log in as ${DEMO_USERS.map((u) => u.email).join(', ')} with password ${DEMO_PASSWORD}`,
      leads: leads.length,
      interactions: interactions.length,
    });
  }
}
