import { answerThreadCall } from '../util/thread-call.js';
import { runViewsJob } from './kit-views.js';

/** The thread behind writeKitViews. */
answerThreadCall(runViewsJob);
