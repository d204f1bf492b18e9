"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PeerError = void 0;
/** A failure the user can act on: one line, exit 2, no stack trace. */
class PeerError extends Error {
}
exports.PeerError = PeerError;
