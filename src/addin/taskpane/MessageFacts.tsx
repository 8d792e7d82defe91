import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Badge,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { AntispamEntry, Analysis } from '../../core';
import { FactList } from './FactList';
import { authTone, mailboxAuthentication } from './present';

const useStyles = makeStyles({
  list: { margin: 0, padding: 0, listStyleType: 'none', display: 'grid', rowGap: '8px' },
  method: { display: 'flex', alignItems: 'baseline', columnGap: '6px', flexWrap: 'wrap' },
  explanation: { margin: '2px 0 0', fontSize: tokens.fontSizeBase200 },
});

/** SPF, DKIM, DMARC, compauth … as the receiving organisation recorded them. */
export function AuthenticationResults({ analysis }: { analysis: Analysis }) {
  const styles = useStyles();
  const results = mailboxAuthentication(analysis);
  const spf = analysis.receivedSpf[0];
  if (results === null && spf === undefined) return null;
  return (
    <section aria-labelledby="auth-heading">
      <h2 id="auth-heading">Sender authentication</h2>
      <ul className={styles.list}>
        {results?.results.map((result, i) => (
          <li key={`${result.method}-${i}`} data-testid="auth-result">
            <span className={styles.method}>
              <strong>{result.method.toUpperCase()}</strong>
              <Badge appearance="tint" color={authTone(result.result)}>
                {result.result}
              </Badge>
              {result.reason && <span>reason {result.reason}</span>}
            </span>
            <p className={styles.explanation}>{result.explanation}</p>
          </li>
        ))}
        {results === null && spf && (
          <li data-testid="auth-result">
            <span className={styles.method}>
              <strong>SPF</strong>
              <Badge appearance="tint" color={authTone(spf.result)}>
                {spf.result}
              </Badge>
            </span>
            <p className={styles.explanation}>{spf.explanation}</p>
          </li>
        )}
      </ul>
      {results?.authservId && (
        <p className={styles.explanation}>Recorded by {results.authservId}.</p>
      )}
    </section>
  );
}

/** Subject, sender, date and the Exchange Online filter stamps, for admins. */
export function MessageDetails({ analysis }: { analysis: Analysis }) {
  const { summary, microsoft } = analysis;
  const rows: [string, string | null][] = [
    ['Subject', summary.subject],
    ['From', summary.from],
    ['To', summary.to],
    ['Cc', summary.cc],
    ['Date', summary.date],
    ['Message-ID', summary.messageId],
  ];
  const filterEntries: AntispamEntry[] = [
    microsoft.authAs,
    microsoft.directionality,
    microsoft.scl,
    ...microsoft.forefrontAntispamReport,
    ...microsoft.antispam,
    ...microsoft.antispamMailboxDelivery,
  ].filter((entry): entry is AntispamEntry => entry !== null);
  return (
    <Accordion collapsible multiple>
      <AccordionItem value="message">
        <AccordionHeader as="h2">Message</AccordionHeader>
        <AccordionPanel>
          <FactList rows={rows} />
        </AccordionPanel>
      </AccordionItem>
      {filterEntries.length > 0 && (
        <AccordionItem value="filter">
          <AccordionHeader as="h2">Microsoft 365 filtering</AccordionHeader>
          <AccordionPanel>
            <FactList
              rows={filterEntries.map((entry) => [
                entry.label,
                `${entry.value ? `${entry.value}: ` : ''}${entry.explanation}`,
              ])}
            />
          </AccordionPanel>
        </AccordionItem>
      )}
    </Accordion>
  );
}
