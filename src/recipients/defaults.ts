/**
 * Defaults of a new recipient, in seconds (the unit of the API, the admin form and the CLI).
 * The one place they are written: the API, the form, the CLI's help and email recipients read
 * them here. The SQL column defaults of released migrations (`alert_after_ms`,
 * `resend_alerts_ms`) only filled rows that existed before those columns; every insert gives
 * every column, so no new recipient takes a value from SQL.
 */
export const RECIPIENT_DEFAULTS = {
  enabled: true,
  paused: false,
  events: 'all',
  /** First retry after 10 s. */
  retryIntervalSeconds: 10,
  /** Backoff cap: 10 minutes (raised to the first retry's interval when that is longer). */
  retryMaxIntervalSeconds: 600,
  /** 0: the head is retried until it goes through, never set aside. */
  retryDurationSeconds: 0,
  timeoutSeconds: 10,
  tlsVerify: true,
  /** A replaced secret keeps signing for a day. */
  secretRotationSeconds: 86_400,
  /** Send Email Alert After: 10 minutes of failing. */
  alertAfterSeconds: 600,
  /** Resend Email Alerts: hourly while failing. */
  resendAlertsSeconds: 3600,
  /*
   * Wire options for receivers written for deployed appliances: all off, the guide's
   * byte-exact body (CONTRACT §7).
   */
  /** The guide's `support_conference_representative_exit_survey_completed`. */
  repSurveyEventName: 'guide',
  /** No `appliance_id` variable. */
  sendApplianceId: false,
  /** No custom-field variables. */
  sendCustomFields: false,
} as const satisfies Record<string, boolean | number | 'all' | 'guide'>;
