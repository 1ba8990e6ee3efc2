/** EventBus topic of InstanceEvent payloads. */
export const INSTANCE_EVENTS_TOPIC = 'system.instanceEvents';

/** The payload as it travels through Redis: JSON, so the date is a string. */
export interface InstanceEventMessage {
  readonly instanceEvents: {
    readonly type: string;
    readonly instanceId: string;
    readonly role: string;
    readonly at: string;
  };
}
