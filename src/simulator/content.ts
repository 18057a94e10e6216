import type { CustomerMember, RepresentativeMember } from '../events/index.js';
import type { Random } from '../random.js';
import type { CustomerDetails, RepresentativeDetails, SurveyAnswer } from '../sessions/index.js';

/**
 * What simulated sessions say and carry: the customer's problem, the chat about it, the
 * representative's note, the files that change hands, the exit surveys' answers. Text is
 * what people type: accents, quotes, an error message with angle brackets, a Windows path,
 * line breaks, so that a report's escaping is exercised by ordinary traffic.
 */

/** One kind of problem, and how a session about it goes. */
export interface Issue {
  /** The front-end survey's issue field. */
  title: string;
  /** The customer's first message. */
  opening: string;
  /** Question and answer pairs, representative first. */
  exchange: [string, string][];
  /** The representative's session note. */
  note: string;
  /** What the representative downloads from the customer's computer. */
  collected: { filename: string; filesize: [number, number] }[];
  /** What the representative uploads to it. */
  delivered: { filename: string; filesize: [number, number] }[];
  /** The `product` custom attribute. */
  product: string;
}

export const ISSUES: readonly Issue[] = [
  {
    title: 'Printer offline',
    opening: 'Hi, my printer says "offline" since this morning and nothing prints.',
    exchange: [
      [
        'Is it the HP on the 2nd floor or a printer at your desk?',
        'The one on the 2nd floor, HP LaserJet M507.',
      ],
      [
        'Can you open Devices & Printers and tell me what the status says?',
        'It says: Offline – "Driver is unavailable"',
      ],
      ['I will reinstall the driver now, your screen may flicker.', 'ok go ahead'],
    ],
    note: 'Printer driver corrupted after KB5034441.\nReinstalled HP UPD 7.1 (PCL6); test page OK.',
    collected: [{ filename: 'spooler-events.evtx', filesize: [200_000, 2_000_000] }],
    delivered: [{ filename: 'upd-pcl6-x64-7.1.0.25570.exe', filesize: [18_000_000, 22_000_000] }],
    product: 'Printing',
  },
  {
    title: 'VPN will not connect',
    opening: 'VPN keeps failing with "The remote connection was denied" 😩',
    exchange: [
      ['When did it last work?', 'Friday. I changed my password on Monday.'],
      [
        'Are you using the new password in the VPN client too?',
        'Oh… no, it remembers the old one I think',
      ],
      [
        'Clearing the saved credentials now; please type your new password when asked.',
        'Connected! 🎉',
      ],
    ],
    note: 'Stale saved credentials after password change. Cleared; VPN OK.',
    collected: [{ filename: 'vpnclient.log', filesize: [20_000, 400_000] }],
    delivered: [],
    product: 'Network',
  },
  {
    title: 'Outlook crashes on start',
    opening: 'Outlook closes right after opening. Error: <Microsoft Outlook has stopped working>',
    exchange: [
      ['Does it start in safe mode (hold Ctrl while clicking it)?', 'Yes, in safe mode it works'],
      ['Then it is probably an add-in. I will disable them one by one.', 'Sure, take your time'],
    ],
    note: 'Faulty "Zoom Outlook Plugin" add-in disabled; Outlook starts normally.\nUser to reinstall Zoom later.',
    collected: [{ filename: 'outlook-crash.dmp', filesize: [5_000_000, 60_000_000] }],
    delivered: [],
    product: 'Email',
  },
  {
    title: 'Cannot open shared drive',
    opening: 'I get "Access is denied" on \\\\fileserver\\Finance\\2026 – I had access last week',
    exchange: [
      ['Which folder exactly, and which file?', 'Finance\\2026\\Q4 & forecasts.xlsx'],
      ['Your account was moved to a new group on Monday; I am adding it back.', 'Thanks!'],
      ['Please sign out and in again, then try once more.', 'Works now 👍'],
    ],
    note: 'Missing membership in GG-Finance-RW after the HR move. Re-added (ticket for IAM to confirm).',
    collected: [],
    delivered: [],
    product: 'File shares',
  },
  {
    title: 'Laptop very slow',
    opening: 'Mein Laptop ist seit dem Update extrem langsam, alles hängt.',
    exchange: [
      ['Ich schaue mir den Task-Manager an. Darf ich die Steuerung übernehmen?', 'Ja, bitte.'],
      [
        'Die Festplatte ist zu 100 % ausgelastet – die Indizierung läuft noch.',
        'Wie lange dauert das?',
      ],
      ['Etwa 20 Minuten. Ich habe sie für heute pausiert.', 'Super, danke!'],
    ],
    note: 'Search indexer rebuilding after feature update; paused for today, disk was 97 % full – cleaned 12 GB of temp files.',
    collected: [{ filename: 'perfmon-report.html', filesize: [300_000, 900_000] }],
    delivered: [{ filename: 'cleanup.ps1', filesize: [2_000, 8_000] }],
    product: 'Hardware',
  },
  {
    title: 'Facture en double',
    opening:
      "Bonjour, j'ai reçu deux fois la même facture (n° 2026-4471) – laquelle dois-je payer ?",
    exchange: [
      ['Pouvez-vous me montrer les deux PDF ?', 'Oui, je les ai sur le bureau.'],
      [
        'La seconde est un renvoi automatique ; seule la première compte.',
        "D'accord, merci beaucoup !",
      ],
    ],
    note: 'Duplicate invoice mail from the billing job of 02.12; no double charge. Informed billing team.',
    collected: [{ filename: 'facture-2026-4471.pdf', filesize: [80_000, 250_000] }],
    delivered: [],
    product: 'Billing',
  },
  {
    title: 'New phone, MFA',
    opening: 'New phone – the authenticator app does not have my account any more',
    exchange: [
      ['I will reset your MFA registration. Do you have the new phone with you?', 'yes'],
      ['Scan the QR code I am showing you now.', 'Done, it shows a 6-digit code'],
      ['Type it in the box and press Verify.', 'Verified ✔'],
    ],
    note: 'MFA re-registered on new device after ID check (callback to +49 … on file).',
    collected: [],
    delivered: [],
    product: 'Accounts',
  },
];

export const COMPANIES: readonly [string, string][] = [
  ['Müller & Söhne GmbH', 'MS-042'],
  ['Åström Logistics AB', 'AL-7'],
  ['Boulangerie Lefèvre', 'BL-19'],
  ['東京精密株式会社', 'TS-300'],
  ['Acme Corp "West"', 'ACME-W'],
  ["O'Brien & Partners", 'OBP-2'],
  ['Κυκλάδες Α.Ε.', 'KY-11'],
];

const OSES = [
  'Windows 11 Pro 23H2',
  'Windows 10 Enterprise 22H2',
  'macOS 14.5',
  'Ubuntu 24.04 LTS',
];

/** A customer's details: computer, addresses, and the front-end survey. */
export function customerDetails(
  random: Random,
  customer: CustomerMember,
  issue: Issue,
): CustomerDetails {
  const [company, code] = random.pick(COMPANIES);
  const host = customer.display_name.startsWith('DESKTOP-')
    ? customer.display_name
    : `PC-${String(random.int(1000, 9999))}`;
  const details: CustomerDetails = {
    username: `user${random.int(100, 999)}`,
    public_ip: `203.0.113.${random.int(1, 254)}:${random.int(49152, 65535)}`,
    private_ip: `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}:${random.int(49152, 65535)}`,
    hostname: host,
    os: random.pick(OSES),
    info: {
      name: customer.display_name,
      company,
      company_code: code,
      issue: issue.title,
      details: issue.opening,
    },
  };
  return details;
}

export function repDetails(random: Random, rep: RepresentativeMember): RepresentativeDetails {
  return {
    public_display_name: rep.display_name.split(' ')[0] ?? rep.display_name,
    private_display_name: `${rep.display_name} (${rep.username})`,
    public_ip: `198.51.100.${random.int(1, 254)}:443`,
    private_ip: `172.16.${random.int(0, 31)}.${random.int(1, 254)}:${random.int(49152, 65535)}`,
    hostname: `SUPPORT-${rep.user_id.padStart(3, '0')}`,
    os: random.pick(OSES),
  };
}

const firstName = (name: string) => name.split(/\s/)[0] ?? name;

/** A customer named after its computer (DESKTOP-…) is greeted without a name. */
export const greeting = (rep: RepresentativeMember, customer: CustomerMember) =>
  `Hello${/^[A-Z]+-[A-Z0-9]+$/.test(customer.display_name) ? '' : ` ${firstName(customer.display_name)}`}, this is ${firstName(rep.display_name)} from support. How can I help?`;

export const WAITING = [
  'Hello? Is anyone there?',
  'still waiting…',
  'I have to go, will call later',
];
export const CLOSING: [string, string][] = [
  ['Is there anything else I can do for you?', 'No, that was all. Thank you!'],
  ['Anything else today?', 'nope, all good :)'],
  ['Can I close the session?', 'Yes – merci !'],
];
export const HELPER_ASIDE = [
  'Can you check the group membership on your side?',
  'FYI this is the third case this week with the same driver.',
  'Looks like the known issue from the status page.',
];

/** Comments by rating: poor (1–2), fair (3), good (4–5); '' leaves the comment out. */
const COMMENTS: Record<'poor' | 'fair' | 'good', readonly string[]> = {
  poor: ['Took ages to get someone.', 'Still not fixed – I have to call again 😞', ''],
  fair: [
    'Took a while to get someone, but then quick.',
    'The "remote control" part was a bit scary, but OK.',
    '',
  ],
  good: [
    'Fast & friendly – thanks!',
    'Problem solved 👍',
    'Très bien, merci.',
    'Super Service, danke!',
    '',
  ],
};
const RESOLUTIONS = [
  'Resolved',
  'Resolved',
  'Workaround given',
  'Escalated to Tier 2',
  'Customer to call back',
];

/** The customer's exit survey: a rating, whether it was solved, a comment. */
export function customerAnswers(random: Random): SurveyAnswer[] {
  // Mostly content, as support surveys are.
  const rating = random.pick([1, 2, 3, 3, 4, 4, 5, 5, 5, 5]);
  const answers = [
    { name: 'rating', value: String(rating) },
    { name: 'resolved', value: rating >= 3 ? 'yes' : random.pick(['yes', 'no']) },
  ];
  const comment = random.pick(COMMENTS[rating <= 2 ? 'poor' : rating === 3 ? 'fair' : 'good']);
  if (comment !== '') answers.push({ name: 'comments', value: comment });
  return answers;
}

/** The representative's exit survey: the resolution and how hard it was. */
export function repAnswers(random: Random): SurveyAnswer[] {
  return [
    { name: 'resolution', value: random.pick(RESOLUTIONS) },
    { name: 'difficulty', value: random.pick(['easy', 'medium', 'hard']) },
  ];
}

export const PRIORITIES = ['P1', 'P2', 'P3', 'P3', 'P4'];
