// Entry point of the UI, in the desktop window and the headless console alike.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { connectApi } from './api/connect.ts';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App api={connectApi()} />
  </StrictMode>,
);
