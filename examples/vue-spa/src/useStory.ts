// The shared event log (../../react-spa/src/story.ts) as Vue refs.
import { onScopeDispose, shallowRef } from 'vue';
import { story } from '../../react-spa/src/story';

export function useStory() {
  const entries = shallowRef(story.entries());
  const notice = shallowRef(story.notice());
  onScopeDispose(
    story.subscribe(() => {
      entries.value = story.entries();
      notice.value = story.notice();
    }),
  );
  return { entries, notice };
}
