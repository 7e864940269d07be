import { useSyncExternalStore } from 'react';
import { clockTime, story } from './story';

export function EventLog() {
  const entries = useSyncExternalStore(story.subscribe, story.entries);
  return (
    <section className="card">
      <h2>Events</h2>
      <ol className="log" data-testid="event-log">
        {entries.map((entry) => (
          <li key={entry.id}>
            <time>{clockTime(entry.at)}</time>
            <span className={`tag ${entry.kind}`}>{entry.kind}</span>
            <span>{entry.text}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
