// Code lists and groups of items that several rules name (SSDA903 guidance 2025-26; the lists
// are the DfE validator's).

/** Episodes.REC codes for a child who stopped being looked after because they were adopted. */
export const ADOPTED = ['E11', 'E12'];
/** Episodes.PLACE codes for a child placed for adoption (with current foster carers or others). */
export const PLACED_FOR_ADOPTION = ['A3', 'A4', 'A5', 'A6'];
/** The six AD1 items about a child's adoption, completed for a child adopted during the year. */
export const AD1_ITEMS = ['DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR'];
/** The OC3 (care leavers) items. */
export const OC3_ITEMS = ['IN_TOUCH', 'ACTIV', 'ACCOM'];
/** Legal statuses of a short-break respite arrangement, which is not being looked after in the usual sense. */
export const RESPITE = ['V3', 'V4'];
