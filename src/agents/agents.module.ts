import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RegisterAgentHandler } from './register-agent/register-agent.handler';
import { AuthorizeAgentHandler } from './authorize-agent/authorize-agent.handler';
import { DeauthorizeAgentHandler } from './deauthorize-agent/deauthorize-agent.handler';
import { RegisterAgentPhoneHandler } from './register-agent-phone/register-agent-phone.handler';
import { SetCallerIdHandler } from './set-caller-id/set-caller-id.handler';
import { SelectRouteHandler } from './select-route/select-route.handler';
import { GrantAutodialHandler } from './grant-autodial/grant-autodial.handler';
import { ChangeAgentStatusHandler } from './change-agent-status/change-agent-status.handler';

export const AGENTS_COMMAND_HANDLERS = [
  RegisterAgentHandler,
  AuthorizeAgentHandler,
  DeauthorizeAgentHandler,
  RegisterAgentPhoneHandler,
  SetCallerIdHandler,
  SelectRouteHandler,
  GrantAutodialHandler,
  ChangeAgentStatusHandler,
];

/**
 * Registers the agent command handlers. EVENT_STORE and CLOCK are not provided here: the app
 * binds them once, in a @Global() module, so every context shares one store and one clock.
 */
@Module({
  imports: [CqrsModule],
  providers: [...AGENTS_COMMAND_HANDLERS],
})
export class AgentsModule {}
