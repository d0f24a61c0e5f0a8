import { useState } from 'react';

import { AccountForm, type Mode } from '../components/AccountForm';

export function Landing() {
  const [mode, setMode] = useState<Mode>('signup');
  return (
    <main className="container">
      <hgroup>
        <h1>StackAudit</h1>
        <p>
          See and cut what your company spends on software: overlapping tools, unused seats, renewals coming up, ranked
          savings.
        </p>
      </hgroup>
      <div role="group" aria-label="Sign up or log in">
        <button
          type="button"
          aria-pressed={mode === 'signup'}
          className={mode === 'signup' ? '' : 'outline'}
          onClick={() => setMode('signup')}
        >
          Sign up
        </button>
        <button
          type="button"
          aria-pressed={mode === 'login'}
          className={mode === 'login' ? '' : 'outline'}
          onClick={() => setMode('login')}
        >
          Log in
        </button>
      </div>
      <AccountForm key={mode} mode={mode} />
    </main>
  );
}
