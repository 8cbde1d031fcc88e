/**
 * The built-ins the bundle uses (ours, axios, p-retry, bottleneck, Babel's helpers) that NiL.JS
 * lacks or gets wrong (shared/reference/runtime-niljs.md). Each core-js module installs only when
 * the built-in is missing, or when probes.ts forced it. Promise is not here: the bundle carries
 * its own (promise.ts) and leaves the host's alone. Math.log2 is fixed in probes.ts.
 */
import 'core-js/modules/es.object.entries.js';
import 'core-js/modules/es.object.values.js';
import 'core-js/modules/es.object.from-entries.js';
import 'core-js/modules/es.object.get-own-property-descriptors.js';
import 'core-js/modules/es.object.set-prototype-of.js';
import 'core-js/modules/es.array.flat.js';
import 'core-js/modules/es.array.flat-map.js';
import 'core-js/modules/es.array.at.js';
import 'core-js/modules/es.string.trim-start.js';
import 'core-js/modules/es.string.replace-all.js';
import 'core-js/modules/es.number.is-finite.js';
import 'core-js/modules/es.number.is-integer.js';
import 'core-js/modules/es.number.is-nan.js';
import 'core-js/modules/es.number.parse-float.js';
import 'core-js/modules/es.number.epsilon.js';
import 'core-js/modules/es.math.trunc.js';
import 'core-js/modules/es.weak-map.js';
import 'core-js/modules/es.weak-set.js';
import 'core-js/modules/es.set.js';
