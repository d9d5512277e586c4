import { defineConformanceSuite } from '../src/suite.ts';

defineConformanceSuite('chat.completions');
