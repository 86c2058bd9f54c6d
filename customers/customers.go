// Package customers knows one buyer across channels. An order's buyer brings identities (a
// channel's buyer id, a verified email, a phone in E.164; masked marketplace contacts bring none),
// and Resolve finds the customer they lead to, inside the order's transaction, or makes one; when
// they lead to several customers it never merges them itself but tells agents. Agents merge and
// unmerge customers (Service.Merge, Service.Unmerge): the merged customer's orders and identities
// move to the survivor, and a CustomerMerge row remembers exactly what moved so that an unmerge
// puts those back.
//
// Which emails are verified is decided by the order's source (package orders): a channel's buyer
// email that is not masked (a Shopify customer's email, for instance) and an email staff enter are;
// a storefront's contact email is not. A storefront key bound to a customer orders for that
// customer, and what its checkout says adds no identity to it: otherwise a signed-in buyer could
// claim a stranger's phone and read the stranger's later marketplace orders. An unbound storefront
// key places guest orders, which belong to no customer.
package customers
