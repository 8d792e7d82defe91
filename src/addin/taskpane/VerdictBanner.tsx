import { useEffect } from 'react';
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { Analysis } from '../../core';
import { verdictView } from './present';

/** Marked once the first verdict is on screen: the e2e run and the bench time page load to it. */
export const VERDICT_SHOWN_MARK = 'mti-verdict-shown';

export function VerdictBanner({ analysis }: { analysis: Analysis }) {
  const view = verdictView(analysis);
  useEffect(() => {
    if (performance.getEntriesByName(VERDICT_SHOWN_MARK).length === 0) {
      performance.mark(VERDICT_SHOWN_MARK);
    }
  }, [analysis]);
  return (
    <MessageBar intent={view.intent} layout="multiline" data-testid="verdict" role="status">
      <MessageBarBody>
        <MessageBarTitle>{view.title}</MessageBarTitle> {view.sentence}
      </MessageBarBody>
    </MessageBar>
  );
}
