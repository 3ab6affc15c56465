// Entry point of the UI, in the desktop window and the headless console alike.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { connectApi } from './api/connect.ts';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
void connectApi().then((api) =>
  root.render(
    <StrictMode>
      <App api={api} />
    </StrictMode>,
  ),
);
