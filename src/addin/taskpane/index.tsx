import { createRoot } from 'react-dom/client';
import { outlookHost } from '../office/outlook-host';
import { whenOfficeReady } from '../office/ready';
import { Pane } from './Pane';

/**
 * The task pane page. Outside Outlook (the page opened in a browser, or office.js blocked) it
 * falls back to the paste box after a bounded wait instead of waiting for ever.
 */
const OFFICE_READY_TIMEOUT_MS = 5000;

const container = document.getElementById('root');
if (container) {
  void whenOfficeReady(OFFICE_READY_TIMEOUT_MS).then((context) => {
    const root = createRoot(container);
    if (context !== 'outlook') {
      root.render(<Pane host={null} />);
      return;
    }
    const host = outlookHost();
    // The read (a round trip to the mailbox server) runs while React renders its first frame.
    const initialRead = host.readCurrentMessage();
    initialRead.catch(() => undefined);
    root.render(<Pane host={host} initialRead={initialRead} />);
  });
}
