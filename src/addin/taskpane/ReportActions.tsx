import { useRef, useState } from 'react';
import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { renderAnalysis, type Analysis } from '../../core';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: '8px' },
  fallback: {
    boxSizing: 'border-box',
    width: '100%',
    marginTop: '8px',
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground1,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    resize: 'vertical',
  },
});

type Copied = { what: 'report' | 'JSON'; text: string; ok: boolean } | null;

/**
 * Copy report (plain text for a ticket) and Copy JSON. Some hosts block the clipboard API
 * inside the add-in frame; then the text is shown selected, ready for Ctrl+C.
 */
export function ReportActions({ analysis }: { analysis: Analysis }) {
  const styles = useStyles();
  const [copied, setCopied] = useState<Copied>(null);
  const fallback = useRef<HTMLTextAreaElement>(null);

  const copy = async (what: 'report' | 'JSON') => {
    const text = what === 'report' ? renderAnalysis(analysis) : JSON.stringify(analysis, null, 2);
    try {
      await navigator.clipboard.writeText(text);
      setCopied({ what, text, ok: true });
    } catch {
      setCopied({ what, text, ok: false });
      requestAnimationFrame(() => fallback.current?.select());
    }
  };

  return (
    <section aria-labelledby="report-heading">
      <h2 id="report-heading">Share</h2>
      <div className={styles.row}>
        <Button onClick={() => void copy('report')}>Copy report</Button>
        <Button onClick={() => void copy('JSON')}>Copy JSON</Button>
      </div>
      <p role="status" aria-live="polite">
        {copied?.ok && `The ${copied.what} is on the clipboard.`}
        {copied &&
          !copied.ok &&
          `Copying was blocked here: the ${copied.what} is selected below; press Ctrl+C (⌘C on a Mac).`}
      </p>
      {copied && !copied.ok && (
        <textarea
          ref={fallback}
          className={styles.fallback}
          readOnly
          value={copied.text}
          aria-label={`The ${copied.what}`}
          rows={8}
        />
      )}
    </section>
  );
}
