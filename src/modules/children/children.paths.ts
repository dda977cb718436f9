// Typed URL builders for children's pages, used by routes, views and tests.
export const childPaths = {
  board: '/children',
  export: '/children/export.csv',
  new: '/children/new',
  child: (id: string, notice?: string): string => `/children/${id}${notice ? `?done=${notice}` : ''}`,
  edit: (id: string): string => `/children/${id}/edit`,
  recordFact: (id: string): string => `/children/${id}/journey/new`,
  correctFact: (id: string, factId: string): string => `/children/${id}/journey/new?correct=${factId}`,
  facts: (id: string): string => `/children/${id}/journey`,
  familyFinder: (id: string): string => `/children/${id}/family-finder`,
  siblings: (id: string): string => `/children/${id}/siblings`,
  newSibling: (id: string): string => `/children/${id}/siblings/new`,
  birthFamily: (id: string): string => `/children/${id}/birth-family`,
  editBirthFamily: (id: string): string => `/children/${id}/birth-family/edit`,
  profile: (id: string): string => `/children/${id}/profile`,
  editProfile: (id: string): string => `/children/${id}/profile/edit`,
  photos: (id: string): string => `/children/${id}/photos`,
  photo: (id: string, photoId: string): string => `/children/${id}/photos/${photoId}`,
  myWork: '/my-work',
  takeTask: (id: string): string => `/my-work/tasks/${id}/take`,
  completeTask: (id: string): string => `/my-work/tasks/${id}/done`,
};

export type ChildNotice =
  | 'created'
  | 'updated'
  | 'fact-recorded'
  | 'fact-corrected'
  | 'family-finder-allocated'
  | 'sibling-linked'
  | 'birth-family-saved'
  | 'profile-saved'
  | 'photo-added';
