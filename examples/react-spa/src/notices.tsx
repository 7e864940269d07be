// The demo's additions to the login page: how the last session ended, and whom to sign in as.
import { useSyncExternalStore } from 'react';
import { story } from './story';

export function DemoNotices() {
  const notice = useSyncExternalStore(story.subscribe, story.notice);
  return (
    <>
      {notice && <p className="notice">{notice}</p>}
      <p className="hint">
        Demo user: <code>demo@example.com</code> / <code>demo-password</code>
      </p>
    </>
  );
}
