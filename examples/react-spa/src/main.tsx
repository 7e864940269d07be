import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { AuthProvider } from 'tokenkeeper/react';
import { App } from './App';
import { auth } from './auth';
import './styles.css'; // demo-only

// AuthProvider restores the session from the refresh cookie when it mounts: once, even in StrictMode.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider client={auth}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </AuthProvider>
  </StrictMode>,
);
