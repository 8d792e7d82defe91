import { createRoot } from 'react-dom/client';
import { Pane } from '../taskpane/Pane';

/** The standalone page: the same pane with no mail client behind it, and no office.js. */
const container = document.getElementById('root');
if (container) createRoot(container).render(<Pane host={null} />);
