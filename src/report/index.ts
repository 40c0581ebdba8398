/** Reports: tables, charts, heatmaps, notebook display helpers and the story.md / story.html writer. */
export * from './table';
export * from './chart';
export * from './charts';
export * from './heatmap';
export * from './display';
export * from './document';
export * from './notebook-hygiene';
