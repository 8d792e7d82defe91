import { Suspense, lazy, useDeferredValue, useEffect, useMemo, useState } from 'react';
import {
  Button,
  FluentProvider,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  makeStyles,
  tokens,
  webDarkTheme,
  webLightTheme,
} from '@fluentui/react-components';
import type { Analysis } from '../../core';
import type { SignInHint } from '../../core/check-report';
import type { CurrentMessage, HeaderReadError, MailHost, ThemeName } from '../host';
import { HopList } from './HopList';
import { AuthenticationResults, MessageDetails } from './MessageFacts';
import { ReportActions } from './ReportActions';
import { VerdictBanner } from './VerdictBanner';
import { senderDomain } from './present';
import { AccessTokenContext } from './sign-in-context';
import { usePaneState, type Origin, type PaneActions } from './use-pane-state';

const useStyles = makeStyles({
  page: {
    minHeight: '100vh',
    boxSizing: 'border-box',
    padding: '12px',
    display: 'grid',
    alignContent: 'start',
    rowGap: '16px',
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    '& h1': { fontSize: tokens.fontSizeBase400, margin: 0 },
    '& h2': { fontSize: tokens.fontSizeBase300, margin: '0 0 6px' },
  },
  top: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '8px' },
  note: { margin: 0, color: tokens.colorNeutralForeground2 },
  detail: { display: 'block', fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere' },
  list: { margin: 0, paddingInlineStart: '20px' },
});

/**
 * The paste box is its own chunk: in Outlook it is needed only when headers cannot be read or
 * the user asks for it, so it does not delay the verdict. (The standalone page bundles it.)
 */
const LazyPasteHeaders = lazy(() =>
  import('./PasteHeaders').then((module) => ({ default: module.PasteHeaders })),
);

/** The live check is its own chunk too: it is needed only below the verdict, or on request. */
const LazyLiveCheck = lazy(() =>
  import('./LiveCheck').then((module) => ({ default: module.LiveCheck })),
);

function LiveCheck(props: { defaultDomain: string | null }) {
  return (
    <Suspense fallback={<Spinner size="tiny" label="Loading the live check…" />}>
      <LazyLiveCheck {...props} />
    </Suspense>
  );
}

function PasteHeaders(props: { onAnalyze: PaneActions['analyzePasted'] }) {
  return (
    <Suspense fallback={<Spinner size="tiny" label="Loading the paste box…" />}>
      <LazyPasteHeaders {...props} />
    </Suspense>
  );
}

/** The whole pane: in Outlook with a host, or on the standalone page with none. */
export function Pane({
  host,
  initialRead,
}: {
  host: MailHost | null;
  /** The selected message's headers, already being read while React starts (see index.tsx). */
  initialRead?: Promise<CurrentMessage>;
}) {
  const theme = useThemeName(host);
  const styles = useStyles();
  const accessToken = useMemo(
    () => (host ? (hint: SignInHint) => host.accessToken(hint) : null),
    [host],
  );
  return (
    <FluentProvider theme={theme === 'dark' ? webDarkTheme : webLightTheme}>
      <AccessTokenContext.Provider value={accessToken}>
        <main className={styles.page} data-theme={theme}>
          <PaneContent host={host} initialRead={initialRead} />
        </main>
      </AccessTokenContext.Provider>
    </FluentProvider>
  );
}

function PaneContent({
  host,
  initialRead,
}: {
  host: MailHost | null;
  initialRead?: Promise<CurrentMessage>;
}) {
  const styles = useStyles();
  const { state, message, actions } = usePaneState(host, initialRead);
  return (
    <>
      <div className={styles.top}>
        <h1>Mail TLS Inspector</h1>
        {host && (
          <Button size="small" onClick={actions.reload} disabled={state.kind === 'loading'}>
            Refresh
          </Button>
        )}
      </div>
      {state.kind === 'idle' && (
        <>
          <p className={styles.note}>
            See whether an email travelled encrypted with TLS on every hop. Paste its headers (in
            Outlook: File › Properties › Internet headers) or drop the saved message.
          </p>
          <PasteHeaders onAnalyze={actions.analyzePasted} />
          <LiveCheck defaultDomain={null} />
        </>
      )}
      {state.kind === 'loading' && <Spinner size="small" label={state.what} />}
      {state.kind === 'failed' && (
        <>
          <ReadError error={state.error} onRetry={actions.reload} />
          <PasteHeaders onAnalyze={actions.analyzePasted} />
        </>
      )}
      {state.kind === 'ready' && (
        <Results
          analysis={state.analysis}
          origin={state.origin}
          message={message}
          host={host}
          actions={actions}
        />
      )}
    </>
  );
}

function ReadError({ error, onRetry }: { error: HeaderReadError; onRetry: () => void }) {
  const styles = useStyles();
  const intent = error.code === 'no-item' || error.code === 'unsupported' ? 'info' : 'warning';
  return (
    <MessageBar intent={intent} layout="multiline" data-testid="read-error" data-code={error.code}>
      <MessageBarBody>
        <MessageBarTitle>{ERROR_TITLES[error.code]}</MessageBarTitle> {error.message}
        {error.detail && <span className={styles.detail}>{error.detail}</span>}
      </MessageBarBody>
      {error.retryable && (
        <MessageBarActions>
          <Button onClick={onRetry}>Try again</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}

const ERROR_TITLES: Record<HeaderReadError['code'], string> = {
  unsupported: 'Headers not available here',
  empty: 'No headers',
  transient: 'Outlook is busy',
  'no-item': 'No message selected',
  'not-a-message': 'Not a message',
  failed: 'Could not read the headers',
};

function Results({
  analysis,
  origin,
  message,
  host,
  actions,
}: {
  analysis: Analysis;
  origin: Origin;
  message: CurrentMessage | null;
  host: MailHost | null;
  actions: PaneActions;
}) {
  const styles = useStyles();
  const attached = origin.kind === 'selected-message' ? (message?.attachedMessages ?? []) : [];
  return (
    <>
      <VerdictBanner analysis={analysis} />
      {origin.kind !== 'selected-message' && (
        <p className={styles.note} data-testid="origin">
          {origin.kind === 'pasted'
            ? origin.fileName
              ? `Headers of the file "${origin.fileName}".`
              : 'Headers you pasted.'
            : `Headers of the attached message "${origin.name}".`}{' '}
          {host && (
            <Button size="small" appearance="transparent" onClick={actions.reload}>
              Back to the selected message
            </Button>
          )}
        </p>
      )}
      {attached.length > 0 && (
        <section aria-labelledby="attached-heading">
          <h2 id="attached-heading">Attached messages</h2>
          <p className={styles.note}>
            This message carries {attached.length === 1 ? 'a message' : 'messages'} as an
            attachment, as when a suspicious mail is forwarded to a helpdesk.
          </p>
          <ul className={styles.list}>
            {attached.map((attachment) => (
              <li key={attachment.id}>
                <Button size="small" onClick={() => actions.analyzeAttachment(attachment)}>
                  Check “{attachment.name}”
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {analysis.tlsRequired && (
        <MessageBar intent="warning" layout="multiline" data-testid="tls-required">
          <MessageBarBody>
            <MessageBarTitle>TLS-Required: {analysis.tlsRequired.value}</MessageBarTitle>{' '}
            {analysis.tlsRequired.explanation}
          </MessageBarBody>
        </MessageBar>
      )}
      <HopList hops={analysis.hops} />
      <SecondarySections
        analysis={analysis}
        actions={actions}
        sender={origin.kind === 'selected-message' ? (message?.senderAddress ?? null) : null}
      />
    </>
  );
}

/**
 * Everything below the route. Rendered one step after the verdict and hops (useDeferredValue),
 * so the answer the user opened the pane for paints first.
 */
function SecondarySections({
  analysis,
  actions,
  sender,
}: {
  analysis: Analysis;
  actions: PaneActions;
  /** The selected message's sender as Outlook reports it; else the From of the headers is used. */
  sender: string | null;
}) {
  const styles = useStyles();
  const deferred = useDeferredValue<Analysis | null>(analysis, null);
  const liveDomain = senderDomain(sender) ?? senderDomain(analysis.summary.from);
  if (deferred !== analysis) return null;
  return (
    <>
      <AuthenticationResults analysis={analysis} />
      {analysis.warnings.length > 0 && (
        <section aria-labelledby="warnings-heading">
          <h2 id="warnings-heading">Notes on these headers</h2>
          <ul className={styles.list} data-testid="warnings">
            {analysis.warnings.map((warning, i) => (
              <li key={`${warning.code}-${i}`}>{warning.message}</li>
            ))}
          </ul>
        </section>
      )}
      <LiveCheck key={liveDomain ?? ''} defaultDomain={liveDomain} />
      <MessageDetails analysis={analysis} />
      <ReportActions analysis={analysis} />
      <OtherHeaders onAnalyze={actions.analyzePasted} />
    </>
  );
}

/** "Check other headers": the paste box, rendered only once asked for. */
function OtherHeaders({ onAnalyze }: { onAnalyze: PaneActions['analyzePasted'] }) {
  const [open, setOpen] = useState(false);
  return (
    <section>
      <Button
        appearance="subtle"
        aria-expanded={open}
        onClick={() => setOpen((wasOpen) => !wasOpen)}
      >
        Check other headers
      </Button>
      {open && <PasteHeaders onAnalyze={onAnalyze} />}
    </section>
  );
}

/** The host's theme when it says one; otherwise the browser's preference, followed live. */
function useThemeName(host: MailHost | null): ThemeName {
  const [theme, setTheme] = useState<ThemeName>(() => host?.theme() ?? preferredTheme());
  useEffect(() => {
    if (host?.theme()) return host.onThemeChanged(setTheme);
    const query = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!query) return;
    const update = () => setTheme(query.matches ? 'dark' : 'light');
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, [host]);
  return theme;
}

function preferredTheme(): ThemeName {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
