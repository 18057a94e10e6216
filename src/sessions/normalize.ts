import type { SessionState } from './types.js';

/**
 * A stored state as the current model reads it. States stored before migration 0009 lack
 * the report fields (survey answers, custom attributes, file counts, detail events, member
 * times): they read as empty, so every reader sees a complete SessionState. A state already
 * complete is returned as it is.
 */
export function normalizeState(stored: SessionState): SessionState {
  const state = stored as Partial<SessionState> & Pick<SessionState, 'lsid'>;
  if (
    state.surveyAnswers !== undefined &&
    state.customAttributes !== undefined &&
    state.fileCounts !== undefined &&
    state.details !== undefined
  ) {
    return stored;
  }
  return {
    ...stored,
    surveys: state.surveys ?? { customer: false, representative: false },
    surveyAnswers: state.surveyAnswers ?? { customer: [], representative: [] },
    customAttributes: state.customAttributes ?? {},
    fileCounts: state.fileCounts ?? { transfers: 0, moves: 0, deletes: 0 },
    details: state.details ?? [],
  };
}
