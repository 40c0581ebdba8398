/**
 * Shape profiles: the min/opt/max input shapes an engine accepts. A profile file lists every
 * dynamic input of the model and one or more profiles (several for bucketed engines).
 */
import type { ResizePolicy } from '../models';

/** Min, optimum and max of one input, each a full shape ([N, C, H, W] for images). */
export interface ShapeRange {
  min: number[];
  opt: number[];
  max: number[];
}

export interface Profile {
  /** Short name, e.g. `default` or `bucket-1`. */
  name: string;
  /** One range per dynamic input, by input name. */
  shapes: Record<string, ShapeRange>;
  /** Share of the dataset's images this profile serves (0..1), when designed from data. */
  coverage?: number;
  /** Padded pixels / computed pixels when images are padded to `opt` (0..1), when designed from data. */
  waste?: number;
}

export const PROFILE_SCHEMA_ID = 'detbench-profile/1';

/** What a profile file holds. */
export interface ProfileFile {
  schema: typeof PROFILE_SCHEMA_ID;
  /** Model the profiles were designed for (registry name or file name). */
  model: string;
  /** Dynamic inputs of the model; every profile must give a range for each. */
  dynamicInputs: string[];
  /** Height and width of image inputs must be multiples of this. @default 32 */
  multiple: number;
  /** How `opt` was chosen (`most-frequent`, `median-area`, `bucket-max`). */
  optRule: string;
  /** The resize policy the shapes were computed under. */
  policy?: ResizePolicy;
  profiles: Profile[];
}

/** JSON Schema (draft-07) of a profile file, for editors and other tools. */
export const PROFILE_JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: PROFILE_SCHEMA_ID,
  title: 'detbench shape profile file',
  type: 'object',
  required: ['schema', 'model', 'dynamicInputs', 'multiple', 'optRule', 'profiles'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    schema: { const: PROFILE_SCHEMA_ID },
    model: { type: 'string', minLength: 1 },
    dynamicInputs: { type: 'array', items: { type: 'string' }, minItems: 1 },
    multiple: { type: 'integer', minimum: 1 },
    optRule: { type: 'string' },
    policy: { type: 'object' },
    profiles: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'shapes'],
        properties: {
          name: { type: 'string' },
          coverage: { type: 'number', minimum: 0, maximum: 1 },
          waste: { type: 'number', minimum: 0, maximum: 1 },
          shapes: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              required: ['min', 'opt', 'max'],
              properties: {
                min: { type: 'array', items: { type: 'integer', minimum: 1 } },
                opt: { type: 'array', items: { type: 'integer', minimum: 1 } },
                max: { type: 'array', items: { type: 'integer', minimum: 1 } },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** One tensor shape (height x width) the model sees, and how many images give it. */
export interface ShapeCount {
  height: number;
  width: number;
  count: number;
}
