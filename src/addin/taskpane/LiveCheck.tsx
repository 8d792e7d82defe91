import { useContext, useEffect, useRef, useState } from 'react';
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Badge,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { AddressReport, CheckEvent, CheckReport, MxReport } from '../../core/check-report';
import { transcriptLine } from '../../core/check-text';
import { printable } from '../../core/report';
import { FactList } from './FactList';
import { streamCheck } from './live-check-stream';
import { AccessTokenContext } from './sign-in-context';
import type { Tone } from './present';

const useStyles = makeStyles({
  form: { display: 'flex', flexWrap: 'wrap', alignItems: 'end', gap: '8px' },
  input: { flexGrow: 1, minWidth: '160px' },
  steps: { margin: '8px 0 0', paddingInlineStart: '20px', fontSize: tokens.fontSizeBase200 },
  badges: { display: 'flex', flexWrap: 'wrap', gap: '4px', marginTop: '4px' },
  list: { margin: 0, padding: 0, listStyleType: 'none', display: 'grid', rowGap: '8px' },
  host: { overflowWrap: 'anywhere', textAlign: 'start' },
  reasons: { margin: '6px 0 0', paddingInlineStart: '20px' },
  transcript: {
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase100,
    backgroundColor: tokens.colorNeutralBackground3,
    padding: '6px',
    borderRadius: tokens.borderRadiusMedium,
    maxHeight: '240px',
    overflowY: 'auto',
    margin: '8px 0 0',
  },
});

type State =
  | { kind: 'idle' }
  | { kind: 'running'; domain: string; steps: string[] }
  | { kind: 'done'; report: CheckReport }
  | { kind: 'failed'; message: string };

/**
 * "Check TLS of …": the live check of a domain's inbound mail servers, through the service on
 * this origin. Only the domain name leaves the pane. Mount it with key={defaultDomain} so that
 * another message starts from its own sender's domain.
 */
export function LiveCheck({ defaultDomain }: { defaultDomain: string | null }) {
  const styles = useStyles();
  const [domain, setDomain] = useState(defaultDomain ?? '');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const running = useRef<AbortController | null>(null);
  const accessToken = useContext(AccessTokenContext);

  useEffect(() => () => running.current?.abort(), []);

  const start = () => {
    const target = domain.trim();
    if (target === '') return;
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setState({ kind: 'running', domain: target, steps: [] });
    const onEvent = (event: CheckEvent) =>
      setState((current) =>
        current.kind === 'running'
          ? { ...current, steps: [...current.steps, stepText(event)] }
          : current,
      );
    streamCheck(target, onEvent, controller.signal, accessToken).then(
      (report) => {
        if (!controller.signal.aborted) setState({ kind: 'done', report });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setState({
            kind: 'failed',
            message: error instanceof Error ? error.message : String(error),
          });
        }
      },
    );
  };

  return (
    <section aria-labelledby="live-heading" data-testid="live-check">
      <h2 id="live-heading">Check a mail server's TLS now</h2>
      <form
        className={styles.form}
        onSubmit={(event) => {
          event.preventDefault();
          start();
        }}
      >
        <Field
          className={styles.input}
          label="Domain or e-mail address"
          hint="Only this name is sent to the check service."
        >
          <Input
            value={domain}
            onChange={(_, data) => setDomain(data.value)}
            placeholder="example.com"
          />
        </Field>
        <Button
          type="submit"
          appearance="primary"
          disabled={domain.trim() === '' || state.kind === 'running'}
        >
          Check TLS
        </Button>
      </form>
      {state.kind === 'running' && (
        <div role="status" aria-live="polite">
          <Spinner size="tiny" label={`Checking ${state.domain}…`} />
          <ol className={styles.steps} data-testid="live-steps">
            {state.steps.map((step, i) => (
              <li key={i}>{step}</li>
            ))}
          </ol>
        </div>
      )}
      {state.kind === 'failed' && (
        <MessageBar intent="warning" layout="multiline" data-testid="live-error">
          <MessageBarBody>{state.message}</MessageBarBody>
        </MessageBar>
      )}
      {state.kind === 'done' && <CheckResult report={state.report} />}
    </section>
  );
}

const GRADE_VIEW = {
  pass: { intent: 'success', title: 'TLS works' },
  warn: { intent: 'warning', title: 'TLS works, with caveats' },
  fail: { intent: 'error', title: 'TLS problem' },
  untestable: { intent: 'info', title: 'Not testable now' },
} as const;

function CheckResult({ report }: { report: CheckReport }) {
  const styles = useStyles();
  const view = GRADE_VIEW[report.verdict.grade];
  // Findings only: "OK" and informational notes (grade pass) are in the server details.
  const reasons = report.verdict.reasons.filter((reason) => reason.grade !== 'pass');
  return (
    <div data-testid="live-result" data-grade={report.verdict.grade}>
      <MessageBar intent={view.intent} layout="multiline" role="status">
        <MessageBarBody>
          <MessageBarTitle>{view.title}</MessageBarTitle> {report.verdict.sentence}
          {reasons.length > 1 && (
            <ul className={styles.reasons}>
              {reasons.map((reason, i) => (
                <li key={i}>{reason.message}</li>
              ))}
            </ul>
          )}
        </MessageBarBody>
      </MessageBar>
      {report.mx.length > 0 && (
        <Accordion multiple collapsible>
          <ul className={styles.list} aria-label={`Mail servers of ${report.domain}`}>
            {report.mx.map((mx) => (
              <li key={mx.host} data-testid="live-mx">
                <AccordionItem value={mx.host}>
                  <AccordionHeader expandIconPosition="end">
                    <span className={styles.host}>
                      {mx.preference} {mx.host}
                      {mx.implicit ? ' (no MX: the domain itself)' : ''}
                      {mx.addresses.map((address) => (
                        <span key={address.ip} className={styles.badges}>
                          {addressBadges(mx, address).map((badge) => (
                            <Badge key={badge.label} appearance="tint" color={badge.tone}>
                              {badge.label}
                            </Badge>
                          ))}
                        </span>
                      ))}
                    </span>
                  </AccordionHeader>
                  <AccordionPanel>
                    <MxDetails mx={mx} report={report} />
                  </AccordionPanel>
                </AccordionItem>
              </li>
            ))}
          </ul>
        </Accordion>
      )}
    </div>
  );
}

function addressBadges(mx: MxReport, address: AddressReport): { label: string; tone: Tone }[] {
  const badges: { label: string; tone: Tone }[] = [{ label: address.ip, tone: 'subtle' }];
  if (address.error && !address.tls) {
    badges.push({
      label: address.error.code,
      tone: address.error.temporary ? 'warning' : 'danger',
    });
    return badges;
  }
  if (address.tls)
    badges.push({ label: address.tls.version.replace('TLSv', 'TLS '), tone: 'success' });
  const cert = address.certificate;
  if (cert) {
    badges.push(
      cert.trusted ? { label: 'trusted', tone: 'success' } : { label: 'untrusted', tone: 'danger' },
    );
    if (!cert.nameMatches) badges.push({ label: 'wrong name', tone: 'danger' });
    if (cert.daysLeft < 0) badges.push({ label: 'expired', tone: 'danger' });
  }
  if (address.legacyTls.TLSv1 === 'accepted' || address.legacyTls['TLSv1.1'] === 'accepted') {
    badges.push({ label: 'TLS 1.0/1.1 accepted', tone: 'warning' });
  }
  if (address.starttls.injected !== null)
    badges.push({ label: 'STARTTLS injection', tone: 'warning' });
  if (address.cleartextMail === 'refused') badges.push({ label: 'Force TLS', tone: 'success' });
  if (mx.dane) {
    badges.push(
      mx.dane.matched
        ? { label: 'DANE', tone: 'success' }
        : {
            label: mx.dane.dnssec === 'bogus' ? 'DANE bogus' : 'DANE mismatch',
            tone: mx.dane.matched === false || mx.dane.dnssec === 'bogus' ? 'danger' : 'subtle',
          },
    );
  }
  if (mx.mtaStsMatch === false) badges.push({ label: 'not in MTA-STS', tone: 'danger' });
  return badges;
}

function MxDetails({ mx, report }: { mx: MxReport; report: CheckReport }) {
  const styles = useStyles();
  const ips = new Set(mx.addresses.map((a) => a.ip));
  const transcript = report.transcript.filter((line) => line.ip !== null && ips.has(line.ip));
  return (
    <div>
      {mx.error && <p>{mx.error.message}</p>}
      {mx.addresses.map((address) => (
        <FactList
          key={address.ip}
          rows={[
            ['Address', address.ip],
            ['Greeting', address.banner],
            [
              'STARTTLS',
              address.starttls.offered === null
                ? null
                : address.starttls.offered
                  ? 'offered'
                  : 'not offered',
            ],
            [
              'Cleartext after STARTTLS',
              address.starttls.injected === null ? null : printable(address.starttls.injected),
            ],
            [
              'TLS',
              address.tls
                ? `${address.tls.version}, ${address.tls.cipher}${address.tls.group ? `, ${address.tls.group}` : ''}`
                : null,
            ],
            ['Certificate', address.certificate?.subject ?? null],
            ['Issuer', address.certificate?.issuer ?? null],
            ['Names', address.certificate?.altNames.join(', ') ?? null],
            [
              'Valid until',
              address.certificate
                ? `${address.certificate.notAfter.slice(0, 10)} (${address.certificate.daysLeft} days)`
                : null,
            ],
            [
              'Key',
              address.certificate
                ? `${address.certificate.keyType} ${address.certificate.keyBits ?? ''}`.trim()
                : null,
            ],
            [
              'Chain',
              address.certificate
                ? address.certificate.trusted
                  ? 'trusted'
                  : `not trusted (${address.certificate.trustError})`
                : null,
            ],
            ['TLS 1.0 / 1.1', `${address.legacyTls.TLSv1} / ${address.legacyTls['TLSv1.1']}`],
            ['Mail without TLS', address.cleartextMail],
            ['Problem', address.error ? address.error.message : null],
            ['Server said', address.error?.cause ?? null],
          ]}
        />
      ))}
      {mx.dane && <p>{mx.dane.message}</p>}
      {transcript.length > 0 && (
        // Focusable, so that keyboard users can scroll it (WCAG 2.1.1).
        <pre className={styles.transcript} aria-label={`Transcript with ${mx.host}`} tabIndex={0}>
          {transcript.map(transcriptLine).join('\n')}
        </pre>
      )}
    </div>
  );
}

function stepText(event: CheckEvent): string {
  switch (event.type) {
    case 'mx':
      return `Mail servers: ${event.mx.map((m) => m.host).join(', ')}`;
    case 'dns':
    case 'policy':
      return event.message;
    case 'done':
      return 'Done';
    default:
      return `${event.host} (${event.ip}): ${event.message.split('\n')[0]}`;
  }
}
