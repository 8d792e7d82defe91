import { createRoot } from 'react-dom/client';
import { Pane } from '../taskpane/Pane';
// The paste box is the page's main content: bundle it rather than fetch it as a chunk.
import '../taskpane/PasteHeaders';

/** The standalone page: the same pane with no mail client behind it, and no office.js. */
const container = document.getElementById('root');
if (container) createRoot(container).render(<Pane host={null} />);
