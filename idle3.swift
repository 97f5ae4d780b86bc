import Foundation
let zone = TimeZone(identifier: "Asia/Taipei")!
var c = Calendar(identifier: .gregorian); c.timeZone = zone
print(c.component(.hour, from: Date()))
sleep(3)
