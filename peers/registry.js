"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PEERS = void 0;
exports.findPeer = findPeer;
/** Every real peer `npm run peers` knows, in install order. Add a peer: one module, one line here. */
const kafka_1 = require("./kafka");
const pulumi_1 = require("./pulumi");
exports.PEERS = [kafka_1.kafkaPeer, pulumi_1.pulumiPeer];
function findPeer(name) {
    return exports.PEERS.find((p) => p.name === name);
}
