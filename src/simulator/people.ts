import type { CustomerMember, RepresentativeMember } from '../events/index.js';
import type { Owner } from './steps.js';

/**
 * Who takes part in simulated sessions. Names are deliberately international (accents,
 * CJK, Cyrillic, Greek, Arabic, an emoji, quotes, spaces) so that a receiver's form decoding
 * and storage are exercised by ordinary traffic, not only by a special test.
 */
export const REPRESENTATIVES: readonly RepresentativeMember[] = [
  rep('12', 'jsmith', 'John Smith'),
  rep('17', 'jose.muller', 'José Müller'),
  rep('23', 'wang.xiaoming', '王小明'),
  rep('31', 'zoe.dubois', 'Zoë Dubois'),
  rep('8', 'oyvind', 'Øyvind Hansen'),
  rep('44', 'fatima.z', 'فاطمة الزهراء'),
  rep('52', 'd.ivanov', 'Дмитрий Иванов'),
  rep('5', 'as.lefevre', 'Anne-Sophie Lefèvre'),
  rep('61', 'kenji', '佐藤 健二'),
  rep('70', 'siobhan', 'Siobhán Ó Briain'),
  rep('9', 'priya.n', 'Priya Natarajan'),
  rep('3', 'lan.nguyen', 'Nguyễn Thị Lan'),
];

export const CUSTOMERS: readonly CustomerMember[] = [
  'Zoë Martin',
  'Øyvind Berg',
  'José Müller',
  '王小明',
  'Ana María Pérez',
  'Łukasz Wróbel',
  'Ayşe Yılmaz',
  'Ελένη Παπαδοπούλου',
  'Mikko Järvinen',
  'Björk Guðmundsdóttir',
  "Patrick O'Brien",
  'Maria "Mia" Rossi',
  'DESKTOP-7QK2LM',
  'Front desk – Building B',
  'Kim 🚀 Lee',
  'Sven Åström',
  'Chloé Bernard',
  'Олег Ковальчук',
].map((display_name) => ({ type: 'customer', display_name }));

export const TEAMS: readonly Owner[] = [
  { conference_id: 'team:5', conference_name: 'Tier 1 Support' },
  { conference_id: 'team:7', conference_name: 'Networking' },
  { conference_id: 'team:9', conference_name: 'Facturación' },
  { conference_id: 'team:12', conference_name: 'Service Desk – Nordics' },
  { conference_id: 'team:15', conference_name: 'サポート' },
];

export function ownerOf(member: RepresentativeMember): Owner {
  return { conference_id: `rep:${member.user_id}`, conference_name: member.display_name };
}

function rep(user_id: string, username: string, display_name: string): RepresentativeMember {
  return { type: 'representative', display_name, user_id, username };
}
