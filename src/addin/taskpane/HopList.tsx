import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Badge,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { displayVersion, hopRoute, type Hop, type HostRef } from '../../core';
import { FactList } from './FactList';
import { delayText, evidenceParts, tlsBadge } from './present';

const useStyles = makeStyles({
  list: { margin: 0, padding: 0, listStyleType: 'none' },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: '8px',
    rowGap: '2px',
  },
  route: { flexBasis: '100%', overflowWrap: 'anywhere', textAlign: 'start' },
  delay: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  raw: {
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    padding: '6px',
    borderRadius: tokens.borderRadiusMedium,
    margin: '8px 0 0',
  },
  evidence: {
    backgroundColor: tokens.colorPaletteYellowBackground2,
    color: tokens.colorNeutralForeground1,
  },
});

/** The hops from origin to mailbox; each opens to show everything known about it. */
export function HopList({ hops }: { hops: readonly Hop[] }) {
  const styles = useStyles();
  if (hops.length === 0) return null;
  return (
    <section aria-labelledby="hops-heading">
      <h2 id="hops-heading">Route, from sender to mailbox</h2>
      <Accordion multiple collapsible>
        <ol className={styles.list} aria-label="Hops, from sender to mailbox">
          {hops.map((hop) => (
            <li key={hop.index} data-testid="hop">
              <AccordionItem value={hop.index}>
                <AccordionHeader expandIconPosition="end">
                  <HopSummary hop={hop} />
                </AccordionHeader>
                <AccordionPanel>
                  <HopDetails hop={hop} />
                </AccordionPanel>
              </AccordionItem>
            </li>
          ))}
        </ol>
      </Accordion>
    </section>
  );
}

function HopSummary({ hop }: { hop: Hop }) {
  const styles = useStyles();
  const badge = tlsBadge(hop);
  return (
    <span className={styles.header}>
      <span className={styles.route}>
        {hop.index + 1}. {hopRoute(hop)}
      </span>
      <Badge appearance="tint" color={badge.tone} data-testid="hop-tls">
        {badge.label}
      </Badge>
      <span className={styles.delay}>{delayText(hop)}</span>
    </span>
  );
}

function HopDetails({ hop }: { hop: Hop }) {
  const styles = useStyles();
  const { tls } = hop;
  const rows: [string, string | null][] = [
    ['TLS', tls.explanation],
    ['Protocol', hop.protocol ?? hop.with],
    ['Version', tls.version ? displayVersion(tls.version) : tls.versionRaw],
    ['Cipher', tls.cipher],
    ['Key bits', tls.bits === null ? null : String(tls.bits)],
    ['Key exchange', tls.keyExchange],
    ['Client certificate', certificateText(tls.peerCertificate)],
    ...tls.weaknesses.map((w): [string, string] => ['Weakness', w.message]),
    ['From', hostText(hop.from)],
    ['By', hostText(hop.by)],
    ['Via', hop.via],
    ['Id', hop.id],
    ['For', hop.for],
    ['Date', hop.date ? `${hop.date.raw}${hop.date.iso ? ` (${hop.date.iso})` : ''}` : null],
    ['Decided by', tls.rule],
  ];
  const parts = evidenceParts(hop);
  return (
    <div>
      <FactList rows={rows} />
      <pre className={styles.raw} aria-label="The Received field, unfolded">
        {parts.before}
        {parts.evidence && (
          <mark className={styles.evidence} title="The evidence that decided this hop's TLS status">
            {parts.evidence}
          </mark>
        )}
        {parts.after}
      </pre>
    </div>
  );
}

function hostText(host: HostRef | null): string | null {
  if (host === null) return null;
  const names = [host.name, host.helo && host.helo !== host.name ? `HELO ${host.helo}` : null];
  if (host.reverseDns && host.reverseDns !== host.name)
    names.push(`reverse DNS ${host.reverseDns}`);
  if (host.ip) names.push(host.ip);
  if (host.ident) names.push(`user ${host.ident}`);
  const text = names.filter(Boolean).join(', ');
  return text === '' ? null : text;
}

const CERTIFICATE_WORDS = {
  verified: 'verified',
  'not-verified': 'presented, not verified',
  failed: 'verification failed',
  'not-presented': 'not presented',
  'not-requested': 'not requested',
} as const;

function certificateText(certificate: Hop['tls']['peerCertificate']): string | null {
  if (certificate === null) return null;
  const subject = certificate.subject ? ` (${certificate.subject})` : '';
  return `${CERTIFICATE_WORDS[certificate.status]}${subject}`;
}
