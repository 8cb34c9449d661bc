/// A bounded map that forgets its least recently used entry when full.
///
/// Nodes live in one array linked by indices, so a hit moves an entry to the front with a few
/// integer writes and no allocation. Not thread-safe: `IntrospectionCache` keeps it in a `Mutex`.
struct LRUStore<Key: Hashable, Value> {
    private struct Node {
        var key: Key
        var value: Value?
        var newer: Int
        var older: Int
    }

    let capacity: Int
    private var nodes: [Node] = []
    private var slots: [Key: Int] = [:]
    private var freeSlots: [Int] = []
    /// Most recently used; -1 when empty.
    private var newest = -1
    /// Least recently used, the next to go; -1 when empty.
    private var oldest = -1

    init(capacity: Int) {
        precondition(capacity > 0, "an LRUStore needs room for at least one entry")
        self.capacity = capacity
        slots.reserveCapacity(min(capacity, 1 << 16))
    }

    var count: Int { slots.count }

    /// The value, marked as just used.
    mutating func value(for key: Key) -> Value? {
        guard let slot = slots[key] else { return nil }
        moveToFront(slot)
        return nodes[slot].value
    }

    /// The value without changing the order.
    func peek(_ key: Key) -> Value? {
        slots[key].flatMap { nodes[$0].value }
    }

    /// Changes a value in place without changing the order; false when the key is absent.
    @discardableResult
    mutating func update(_ key: Key, _ change: (inout Value) -> Void) -> Bool {
        guard let slot = slots[key], var value = nodes[slot].value else { return false }
        change(&value)
        nodes[slot].value = value
        return true
    }

    /// Stores a value as the most recently used; returns the key evicted to make room, if any.
    @discardableResult
    mutating func set(_ value: Value, for key: Key) -> Key? {
        if let slot = slots[key] {
            nodes[slot].value = value
            moveToFront(slot)
            return nil
        }
        var evicted: Key?
        if slots.count >= capacity, oldest >= 0 {
            evicted = nodes[oldest].key
            remove(slot: oldest)
        }
        let node = Node(key: key, value: value, newer: -1, older: newest)
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            nodes[slot] = node
        } else {
            slot = nodes.count
            nodes.append(node)
        }
        if newest >= 0 { nodes[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
        slots[key] = slot
        return evicted
    }

    @discardableResult
    mutating func removeValue(for key: Key) -> Value? {
        guard let slot = slots[key] else { return nil }
        let value = nodes[slot].value
        remove(slot: slot)
        return value
    }

    mutating func removeAll() {
        nodes.removeAll()
        slots.removeAll()
        freeSlots.removeAll()
        newest = -1
        oldest = -1
    }

    /// Keys from least to most recently used (for tests and diagnostics).
    var keysOldestFirst: [Key] {
        var keys: [Key] = []
        var slot = oldest
        while slot >= 0 {
            keys.append(nodes[slot].key)
            slot = nodes[slot].newer
        }
        return keys
    }

    private mutating func remove(slot: Int) {
        unlink(slot)
        slots[nodes[slot].key] = nil
        nodes[slot].value = nil
        freeSlots.append(slot)
    }

    private mutating func moveToFront(_ slot: Int) {
        guard slot != newest else { return }
        unlink(slot)
        nodes[slot].older = newest
        nodes[slot].newer = -1
        if newest >= 0 { nodes[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }

    private mutating func unlink(_ slot: Int) {
        let newer = nodes[slot].newer
        let older = nodes[slot].older
        if newer >= 0 { nodes[newer].older = older } else { newest = older }
        if older >= 0 { nodes[older].newer = newer } else { oldest = newer }
        nodes[slot].newer = -1
        nodes[slot].older = -1
    }
}
