/** The event types the engine writes today (main/transfer, main/keys, main/engine); others appear as they are seen. */
export const KNOWN_EVENT_TYPES = [
  'export.requested',
  'export.started',
  'export.completed',
  'export.failed',
  'export.cancelled',
  'import.verified',
  'import.rejected',
  'import.started',
  'import.completed',
  'import.failed',
  'import.cancelled',
  'import.paused',
  'media.staged',
  'media.rejected',
  'key.created',
  'key.trusted',
  'checkpoint',
] as const;

