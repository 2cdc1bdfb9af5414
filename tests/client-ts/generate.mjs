// Generates the TypeScript client (on @solana/kit) from the committed IDL with Codama, into
// ./generated (not committed: CI generates it on every run).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createFromRoot, definedTypeNode } from 'codama';
import { rootNodeFromAnchor } from '@codama/nodes-from-anchor';
import { renderVisitor } from '@codama/renderers-js';

const here = fileURLToPath(new URL('.', import.meta.url));
const idl = JSON.parse(readFileSync(new URL('../../idl/serviceability.json', import.meta.url), 'utf8'));
const root = rootNodeFromAnchor(idl);

// nodes-from-anchor reads the IDL's events as event nodes (their data behind the 8-byte
// discriminator), which the JavaScript renderer does not render yet. Each event's struct is
// also rendered as a defined type, so its codec is generated like any other type's.
const eventTypes = (root.program.events ?? []).map((event) =>
    definedTypeNode({
        name: event.name,
        docs: event.docs,
        type: event.data.kind === 'hiddenPrefixTypeNode' ? event.data.type : event.data,
    }),
);
const program = { ...root.program, definedTypes: [...root.program.definedTypes, ...eventTypes] };

await createFromRoot({ ...root, program }).accept(
    renderVisitor(here, {
        generatedFolder: 'generated',
        // Our package.json is committed with its lockfile; the renderer must not rewrite it.
        syncPackageJson: false,
    }),
);
console.log(`generated the ${idl.metadata.name} client (${eventTypes.length} event types) in ${here}generated`);
