import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RequestCallHandler } from './request-call/request-call.handler';
import { RecordOriginatedHandler } from './record-originated/record-originated.handler';
import { RecordOriginateFailureHandler } from './record-originate-failure/record-originate-failure.handler';
import { RecordAnswerHandler } from './record-answer/record-answer.handler';
import { RecordDtmfHandler } from './record-dtmf/record-dtmf.handler';
import { RecordAmdResultHandler } from './record-amd-result/record-amd-result.handler';
import { RecordHangupHandler } from './record-hangup/record-hangup.handler';
import { ScheduleCallRetryHandler } from './schedule-call-retry/schedule-call-retry.handler';

export const CALLS_COMMAND_HANDLERS = [
  RequestCallHandler,
  RecordOriginatedHandler,
  RecordOriginateFailureHandler,
  RecordAnswerHandler,
  RecordDtmfHandler,
  RecordAmdResultHandler,
  RecordHangupHandler,
  ScheduleCallRetryHandler,
];

/**
 * Registers the call command handlers. EVENT_STORE and CLOCK are not provided here: the app
 * binds them once, in a @Global() module, so every context shares one store and one clock.
 */
@Module({
  imports: [CqrsModule],
  providers: [...CALLS_COMMAND_HANDLERS],
})
export class CallsModule {}
