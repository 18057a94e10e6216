import { RECIPIENT_COLUMNS } from '../views/recipients.js';

/** A CSS string literal (the labels are plain text; JSON's quoting is valid CSS for them). */
const cssString = (text: string): string => JSON.stringify(text);

/** The labels of the recipients' table on a phone, by the data-field of its cells. */
const recipientLabels = RECIPIENT_COLUMNS.map(
  ([field, label]) =>
    `  .stack td[data-field="${field}"]::before { content: ${cssString(label)}; }`,
).join('\n');

/**
 * The admin pages' style sheet, served from /admin/assets/admin.css. The labels of the
 * recipients' table on a phone come from the table's own columns, so that rows the script adds
 * live (it sets data-field, nothing more) get them too.
 */
export const STYLE = `
:root { --ink: #1d2733; --muted: #5b6878; --line: #d5dce4; --bar: #1f3a5a; --accent: #2a6ebb;
  --ok: #1e7b3c; --warn: #9a6400; --bad: #b3261e; --bg: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); }
header.bar { position: relative; display: flex; flex-wrap: wrap; align-items: center;
  gap: .4rem 1.5rem; min-height: 2.9rem; padding: .6rem 1.2rem; background: var(--bar);
  color: #fff; }
header.bar .brand { font-weight: 700; letter-spacing: .02em; }
header.bar a { color: #dce8f5; text-decoration: none; }
header.bar a[aria-current="page"] { color: #fff; border-bottom: 2px solid #fff; }
header.bar form { margin: 0; }
header.bar .who { color: #dce8f5; }
/* The menu, folded: a button at the right of the brand's line; open: the links one under
   the other. */
header.bar details.menu[open] { flex-basis: 100%; }
header.bar summary { position: absolute; top: .45rem; right: .8rem; padding: .25rem .7rem;
  border: 1px solid #8aa3bf; border-radius: 4px; cursor: pointer; list-style: none; }
header.bar summary::-webkit-details-marker { display: none; }
header.bar summary::before { content: "☰ "; }
header.bar .menu-items { display: flex; flex-wrap: wrap; align-items: center; gap: .6rem 1rem;
  padding-top: .6rem; }
header.bar nav { display: flex; flex-direction: column; align-items: flex-start; gap: .6rem;
  flex-basis: 100%; }
/* Wide enough for every link on one line: the menu's contents beside the brand, no button. A
   browser that cannot show a closed menu's contents (no ::details-content) keeps the button. */
@media (min-width: 72rem) {
  @supports selector(::details-content) {
    header.bar details.menu { flex: 1; }
    header.bar details.menu::details-content { content-visibility: visible; display: block; }
    header.bar summary { display: none; }
    header.bar .menu-items { flex-wrap: nowrap; gap: 1.5rem; padding-top: 0; }
    header.bar nav { flex-direction: row; flex-wrap: wrap; align-items: center; gap: .3rem 1rem;
      flex: 1; }
    header.bar nav a { white-space: nowrap; }
  }
}
main { padding: 1.2rem; max-width: 1600px; }
h1 { font-size: 1.35rem; margin: .2rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .6rem; }
.crumb { color: var(--muted); font-size: .9rem; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
/* A table wider than the screen scrolls inside this box, not the page. */
.table-box { max-width: 100%; overflow-x: auto; margin-bottom: 1rem; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: #e9eef4; font-weight: 600; }
td[data-field="url"] { overflow-wrap: anywhere; min-width: 12rem; max-width: 24rem; }
td[data-field="status"] { min-width: 8rem; }
td[data-field="events"] { max-width: 18rem; }
td[data-field="lastError"], .error-text { color: var(--bad); max-width: 20rem; }
[data-kind="ok"] { color: var(--ok); font-weight: 600; }
[data-kind="retrying"], [data-kind="queued"], [data-kind="sending"] { color: var(--warn); font-weight: 600; }
[data-kind="paused"], [data-kind="disabled"] { color: var(--muted); font-weight: 600; }
[data-kind="failed"] { color: var(--bad); font-weight: 600; }
a { color: var(--accent); }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: .8rem 0; }
.actions form { margin: 0; }
button, .button { font: inherit; padding: .35rem .8rem; border: 1px solid #a9b6c4; border-radius: 4px;
  background: #fff; color: var(--ink); cursor: pointer; text-decoration: none; display: inline-block; }
button.primary, .button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger { color: var(--bad); border-color: var(--bad); }
header.bar button { background: transparent; color: #fff; border-color: #8aa3bf; }
form.panel, section.panel, dl.panel { background: #fff; border: 1px solid var(--line); padding: 1rem 1.2rem;
  border-radius: 4px; max-width: 56rem; }
.field { margin: 0 0 .9rem; }
.field > label, .field > .label { display: block; font-weight: 600; margin-bottom: .2rem; }
.field input[type="text"], .field input[type="url"], .field input[type="password"],
.field input[type="number"], .field textarea { width: 100%; max-width: 40rem; padding: .35rem .45rem;
  font: inherit; border: 1px solid #a9b6c4; border-radius: 3px; }
.field textarea { min-height: 4.5rem; font-family: ui-monospace, monospace; font-size: .85rem; }
.field .hint { color: var(--muted); font-size: .85rem; }
.field .error { color: var(--bad); font-weight: 600; font-size: .9rem; margin-top: .2rem; }
.field.invalid input, .field.invalid textarea { border-color: var(--bad); }
/* The box beside its name, which wraps under itself (event names are long for a phone). */
.checks label { display: flex; align-items: baseline; gap: .2rem; font-weight: normal;
  overflow-wrap: anywhere; }
/* The recipient form's "Wire compatibility" options; min-width 0 lets it narrow on a phone. */
fieldset.wire { border: 1px solid var(--line); border-radius: 4px; margin: 0 0 .9rem;
  padding: .5rem .9rem; min-width: 0; }
fieldset.wire legend { font-weight: 600; padding: 0 .3rem; }
.notice { background: #e6f4ea; border: 1px solid #a8d5b5; padding: .5rem .8rem; margin-bottom: 1rem;
  border-radius: 4px; }
.alert { background: #fdecea; border: 1px solid #f1b0aa; padding: .5rem .8rem; margin-bottom: 1rem;
  border-radius: 4px; color: var(--bad); }
.secret-once { font-family: ui-monospace, monospace; background: #fff8e1; border: 1px solid #e8c766;
  padding: .6rem; word-break: break-all; }
dl.panel { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.2rem; }
dl.panel dt { font-weight: 600; color: var(--muted); }
dl.panel dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; word-break: break-all; margin: 0; font-size: .8rem; }
.muted { color: var(--muted); }
/* A time reads on one line ("5 min ago"; the exact time on hover). */
time { white-space: nowrap; }
/* An input with its button (Show, Generate) beside it, narrowing together on a phone. */
.with-button { display: flex; gap: .4rem; align-items: center; max-width: 40rem; }
.with-button input { flex: 1; min-width: 0; }
.field .with-button input[type="text"] { max-width: none; }
.pager { align-items: center; }
/* The style above gives buttons a display; a hidden one stays hidden. */
button[hidden] { display: none; }
td[data-next-attempt] { white-space: nowrap; }
/* On a wide screen the errors keep room to be read; on a phone the rows are stacked. */
@media (min-width: 40.01rem) {
  table[data-deliveries] td.error-text { min-width: 18rem; }
}
/* As specific as form.panel, whose max-width it replaces. */
form.panel.login { max-width: 22rem; margin: 8vh auto; }
.login h1 { text-align: center; }
.live { font-size: .8rem; margin-left: .6rem; }
form.search { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: flex-end; max-width: none; }
form.search .field input, form.search select { width: 14rem; font: inherit; padding: .3rem; }
ol.timeline { background: #fff; border: 1px solid var(--line); padding: .8rem 2.2rem; max-width: 56rem; }
ol.timeline li { margin: .25rem 0; }
/* A session report's chat and notes: the text as typed, line breaks kept; a character a page
   cannot carry is shown by its code point, marked. */
ol.transcript { background: #fff; border: 1px solid var(--line); padding: .6rem 2.2rem; max-width: 56rem; }
ol.transcript li { margin: .2rem 0 .6rem; }
.typed { white-space: pre-wrap; overflow-wrap: anywhere; }
.ctl { font: .75rem ui-monospace, monospace; background: #fff8e1; border: 1px solid #e8c766;
  border-radius: 2px; padding: 0 .15rem; }
.deliveries { font-size: .85rem; }
ol.attempts { margin: .2rem 0 0; padding-left: 1.2rem; font-size: .85rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.charts figure { margin: 0; flex: 1 1 30rem; min-width: 0; max-width: 44rem; background: #fff;
  border: 1px solid var(--line); border-radius: 4px; padding: .6rem .8rem; }
.charts svg { display: block; width: 100%; height: auto; margin: .4rem 0; }
/* A phone: narrower margins, one column; a table in a .stack box shows a card per row, each
   cell beside its column's label (data-label, or in the recipients' live table its data-field). */
@media (max-width: 40rem) {
  header.bar { padding: .5rem .8rem; }
  main { padding: .8rem; }
  form.panel, section.panel, dl.panel { padding: .8rem; }
  dl.panel { grid-template-columns: minmax(0, 1fr); gap: 0; }
  dl.panel dd { margin-bottom: .4rem; }
  form.search .field { flex: 1 1 100%; }
  form.search .field input, form.search select { width: 100%; }
  ol.timeline { padding: .6rem .6rem .6rem 2rem; overflow-wrap: anywhere; }
  ol.transcript { padding: .6rem .6rem .6rem 2rem; }
  .stack table, .stack tbody, .stack tr, .stack td { display: block; }
  .stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip-path: inset(50%); }
  .stack tr { padding: .4rem 0; border-bottom: 1px solid var(--line); }
  .stack td { position: relative; padding: .15rem .6rem .15rem 9.4rem; border: 0;
    min-width: 0; max-width: none; overflow-wrap: anywhere; }
  .stack td:empty { display: none; }
  .stack td::before { position: absolute; left: .6rem; width: 8.2rem; color: var(--muted);
    font-weight: 600; }
  .stack td[data-label]::before { content: attr(data-label); }
${recipientLabels}
}
`;
