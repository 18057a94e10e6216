import type { OutboundEvent } from '../../src/events/index.js';

/** One event of each kind, with the optional parts both present and absent. */
export const SAMPLE_EVENTS: OutboundEvent[] = [
  { event: 'support_conference_begin', version: 1, timestamp: 1_700_000_000, lsid: '42' },
  {
    event: 'support_conference_begin',
    version: 1,
    timestamp: 1_700_000_001,
    lsid: '43',
    external_key: 'INC-7',
  },
  {
    event: 'support_conference_owner_changed',
    version: 1,
    timestamp: 1_700_000_002,
    lsid: '42',
    conference_id: 'rep:12',
    conference_name: 'José Müller',
  },
  {
    event: 'support_conference_member_added',
    version: 1,
    timestamp: 1_700_000_003,
    lsid: '42',
    type: 'customer',
    display_name: 'A & B = C+D',
  },
  {
    event: 'support_conference_member_added',
    version: 1,
    timestamp: 1_700_000_004,
    lsid: '42',
    type: 'representative',
    display_name: '王小明',
    user_id: '12',
    username: 'wang',
  },
  {
    event: 'support_conference_member_departed',
    version: 1,
    timestamp: 1_700_000_005,
    lsid: '42',
    external_key: 'INC-7',
    type: 'representative',
    display_name: 'Rep',
    user_id: '12',
    username: 'rep',
  },
  { event: 'support_conference_end', version: 1, timestamp: 1_700_000_006, lsid: '42' },
  {
    event: 'support_conference_customer_exit_survey_completed',
    version: 1,
    timestamp: 1_700_000_007,
    lsid: '42',
  },
  {
    event: 'support_conference_representative_exit_survey_completed',
    version: 1,
    timestamp: 1_700_000_008,
    lsid: '42',
  },
];
