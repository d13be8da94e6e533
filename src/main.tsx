import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function Placeholder() {
  return <main><h1>Superposition Lab</h1><p>The live lab is being built.</p></main>;
}

createRoot(document.getElementById('root')!).render(<StrictMode><Placeholder /></StrictMode>);
