// What the page knows of the session and the organization, shared by its sections.
export const state = {
  session: null,
  spaceKey: null,
  org: null,
  products: [],
  catalog: {},
  members: [],
  archives: [],
  link: null,
  mayExport: false,
  // the zone times are shown in: "utc" or "local" (the browser's)
  tz: "utc",
};
